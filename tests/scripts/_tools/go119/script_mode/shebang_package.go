// (the #! line)
package main

import "fmt"

// A Go program may start with a #! line too.
func main() {
	fmt.Println("ran")
}
