package main; import "fmt"; var results chan int; var sum int; var done chan bool
func main() { results = make(chan int)
for i := 1; i <= 3; i++ {
	go func(n int) { results <- n * n }(i)
}
sum = 0
for i := 0; i < 3; i++ {
	sum += <-results
}
fmt.Println("sum", sum)
done = make(chan bool)
go func() { <-done }()
<-results }
