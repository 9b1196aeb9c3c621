package main; import "fmt"
func divide(a, b int) int {
	return a / b
}

var zero int; func main() {fmt.Println(divide(6, 3))
zero = 0
fmt.Println(divide(1, zero))
fmt.Println("not reached") }
