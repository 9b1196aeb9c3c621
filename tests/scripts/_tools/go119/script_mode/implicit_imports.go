package main; import ("fmt"; "strconv"; "sync"; "sync/atomic"; "time")
// Standard packages named in a script are imported on first use, nested ones by their
// last element (atomic: sync/atomic); a local name that is a package name is not one.
var hits int64
var wg sync.WaitGroup
func main() { for i := 0; i < 4; i++ {
	wg.Add(1)
	go func() {
		defer wg.Done()
		atomic.AddInt64(&hits, 1)
	}()
}
wg.Wait()
fmt.Println("hits", atomic.LoadInt64(&hits))
d = 1500 * time.Millisecond
fmt.Println(d.Seconds(), strconv.Itoa(42))
sort = []point{{2, 1}, {1, 2}}
fmt.Println(len(sort), sort[0].x) }
type point struct{ x, y int }
var d time.Duration
var sort []point
