package main

import "fmt"

func main() {
	var fs0, fs1, fs2 func() int
	for i0 := 0; i0 < 3; i0++ {
		i := i0
		f := func() int { return i * i }
		if i == 0 {
			fs0 = f
		} else if i == 1 {
			fs1 = f
		} else {
			fs2 = f
		}
	}
	fmt.Println(fs0(), fs1(), fs2())
	var r0, r1 func() string
	for idx0, r0_ := range "xy" {
		idx, r := idx0, r0_
		g := func() string { return fmt.Sprint(idx, "/", r) }
		if idx == 0 {
			r0 = g
		} else {
			r1 = g
		}
	}
	fmt.Println(r0(), r1())
}
