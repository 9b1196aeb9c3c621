package main

import "fmt"

func main() {
	for i := 0; i < 5; i++ {
		fmt.Print(i, " ")
	}
	fmt.Println()
	n := 3
	for i := 0; i < n; i++ {
		fmt.Print(i*i, " ")
	}
	fmt.Println()
	count := 0
	for i := 0; i < 4; i++ {
		count++
	}
	fmt.Println(count)
	for i := 0; i < 0; i++ {
		fmt.Println("never", i)
	}
	m := -2
	for i := 0; i < m; i++ {
		fmt.Println("never", i)
	}
	var u8 uint8 = 3
	for i := uint8(0); i < u8; i++ {
		fmt.Printf("%T %v\n", i, i)
	}
	for i := 0; i < 10; i++ {
		if i%2 == 0 {
			continue
		}
		if i > 6 {
			break
		}
		fmt.Print(i, ";")
	}
	fmt.Println()
}
