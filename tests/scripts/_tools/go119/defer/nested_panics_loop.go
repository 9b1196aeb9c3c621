package main

// Go 1.22 semantics: each iteration has its own i.

import "fmt"

func g() {
	for i_outer := 0; i_outer < 2; i_outer++ { i := i_outer
		defer func() {
			panic(fmt.Sprint("deferred panic ", i))
		}()
	}
	panic("A")
}

func f() {
	defer fmt.Println("f defer")
	g()
}

func main() {
	defer func() {
		r := recover()
		panic(r)
	}()
	f()
}
