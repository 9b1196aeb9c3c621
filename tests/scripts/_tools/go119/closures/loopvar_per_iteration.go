package main

import "fmt"

func main() {
	var f0, f1, f2 func() int
	for i0 := 0; i0 < 3; i0++ {
		i := i0
		f := func() int { return i }
		switch i {
		case 0:
			f0 = f
		case 1:
			f1 = f
		case 2:
			f2 = f
		}
		i0 = i
	}
	fmt.Println(f0(), f1(), f2())
	var g0, g1 func() int
	for i0 := 0; i0 < 2; i0++ {
		i := i0
		g := func() int {
			i += 10
			return i
		}
		if i == 0 {
			g0 = g
		} else {
			g1 = g
		}
		i0 = i
	}
	fmt.Println(g0(), g0(), g1())
}
