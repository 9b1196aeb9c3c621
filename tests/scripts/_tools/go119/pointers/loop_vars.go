package main

import "fmt"

// Go 1.19 equivalent of loop_vars.csp: a per-iteration copy of the loop variable,
// copied back at the end of the body.
func main() {
	var p0, p1, p2 *int
	for i_ := 0; i_ < 3; i_++ {
		i := i_
		switch i {
		case 0:
			p0 = &i
		case 1:
			p1 = &i
		case 2:
			p2 = &i
		}
		i_ = i
	}
	fmt.Println(*p0, *p1, *p2, p0 == p1)

	var first *int
	for i_ := 0; i_ < 3; i_++ {
		i := i_
		if first == nil {
			first = &i
		}
		*first += 10 // changes the first iteration's variable only
		i_ = i
	}
	fmt.Println(*first)

	var pr *rune
	for _, r_ := range "ab" {
		r := r_
		if pr == nil {
			pr = &r
		}
	}
	fmt.Println(*pr)
}
