package main; import ("fmt"; "strconv")
func main() {
for i := 0; i < 3; i++ { fmt.Print(i, " ") }; fmt.Println(strconv.Itoa(7)) }
