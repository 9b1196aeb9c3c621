package main

import "fmt"

func main() {
	s := []int{1, 2, 3, 4}
	t := s[1:3]
	for i := range t {
		t[i] = 0
	}
	fmt.Println(s, t, len(t))
	words := []string{"a", "b"}
	for i := range words {
		words[i] = ""
	}
	fmt.Println(len(words), words[0] == "", words)
	var none []float64
	for i := range none {
		none[i] = 0
	}
	fmt.Println(none == nil)
	grid := [][2]int{{1, 2}, {3, 4}}
	for i := range grid[1:] {
		grid[1:][i] = [2]int{}
	}
	fmt.Println(grid)
}
