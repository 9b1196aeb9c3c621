package main
import "os"; import "fmt"
func main() { x := 1
fmt.Println(x, y)
}; func f() {
	z := 2
}; func g() { var x int; _ = x
x := 3 }
