package main

import "fmt"

func main() {
	n := 3
	for i0, lim := 0, n; i0 < lim; i0++ {
		i := i0
		n = 10
		i += 100
		fmt.Println(i, n)
	}
	total := 0
	for i := 0; i < 4; i++ {
		for j := 0; j < i; j++ {
			total += j
		}
	}
	fmt.Println(total)
	const k = 3
	for i := 0; i < k; i++ {
		fmt.Printf("%T%d ", i, i)
	}
	fmt.Println()
}
