package main

import "fmt"

func main() {
	var a, b func() int
	n := 0
	for i0 := 0; i0 < 6; i0++ {
		i := i0
		f := func() int { return i * 100 }
		if n == 0 {
			a = f
		} else if n == 1 {
			b = f
		}
		n++
		i++
		i0 = i
	}
	fmt.Println(a(), b(), n)
	var last func() int
	for i0 := 0; i0 < 3; i0++ {
		i := i0
		last = func() int { return i }
		i0 = i
	}
	fmt.Println(last())
}
