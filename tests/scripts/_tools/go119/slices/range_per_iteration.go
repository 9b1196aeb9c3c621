package main

import "fmt"

func main() {
	var fns []func() string
	for i0, v0 := range []string{"p", "q", "r"} {
		i, v := i0, v0
		fns = append(fns, func() string { return fmt.Sprint(i, v) })
	}
	for _, f := range fns {
		fmt.Print(f(), " ")
	}
	fmt.Println()
	var adders []func() int
	for _, n0 := range [3]int{10, 20, 30} {
		n := n0
		adders = append(adders, func() int {
			n++
			return n
		})
	}
	fmt.Println(adders[0](), adders[0](), adders[1](), adders[2]())
}
