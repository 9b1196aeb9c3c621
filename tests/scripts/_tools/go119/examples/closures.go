// Go 1.19 equivalent of examples/closures.csp: i := i0 gives each iteration its own i.
package main

import "fmt"

// counter returns a function that counts how many times it was called.
func counter() func() int {
	n := 0
	return func() int {
		n++
		return n
	}
}

func apply(xs string, f func(rune) rune) string {
	out := ""
	for _, r := range xs {
		out += string(f(r))
	}
	return out
}

func main() {
	next := counter()
	next()
	next()
	fmt.Println("counter:", next())

	// Each iteration has its own i, so the closures remember 0 and 2, not 3 and 3.
	var first, last func()
	for i0 := 0; i0 < 3; i0++ {
		i := i0
		show := func() { fmt.Println("loop variable", i) }
		if i == 0 {
			first = show
		}
		last = show
	}
	first()
	last()

	upper := func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	fmt.Println(apply("héllo, wörld", upper))
}
