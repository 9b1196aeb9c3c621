package main

import "fmt"

// Go 1.19 has no clear: deleting every key is its equivalent for maps.
func clearMap[K comparable, V any](m map[K]V) {
	for k := range m {
		delete(m, k)
	}
}

func main() {
	m := map[string]int{"a": 1, "b": 2, "c": 3}
	clearMap(m)
	fmt.Println(len(m), m, m["a"])
	m["d"] = 4
	fmt.Println(m)
	var n map[int]int
	clearMap(n)
	fmt.Println(len(n))
	big := map[int]int{}
	for i := 0; i < 100; i++ {
		big[i] = i
	}
	seen := 0
	for range big {
		seen++
		clearMap(big)
	}
	fmt.Println(seen, len(big))
}
