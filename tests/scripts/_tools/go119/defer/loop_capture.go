package main

import "fmt"

// Go 1.22 semantics: each iteration has its own i, so the deferred closures print 2 1 0.
func main() {
	for i_outer := 0; i_outer < 3; i_outer++ { i := i_outer
		defer func() {
			fmt.Println("captured i =", i)
		}()
	}
	fmt.Println("body done")
}
