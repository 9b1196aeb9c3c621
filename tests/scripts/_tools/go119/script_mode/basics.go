package main; import ("fmt"; "strconv")
// A script: no package clause, statements run in order, standard packages imported on
// first use, top-level variables visible to the functions declared beside them.
var total int; func main() { total = 0
fmt.Println("start", total)
main2() }
func add(n int) int {
	total += n
	return total
}

type point struct{ x, y int }

func (p point) sum() int { return p.x + p.y }

const scale = 10
func main2() {
for i := 0; i < 3; i++ {
	add(i * scale)
}
fmt.Println("total", total)
p = point{1, 2}
fmt.Println(p, p.sum())
n, err = strconv.Atoi("42")
fmt.Println(n, err)
m, err = strconv.Atoi("x")
fmt.Println(m, err)
names = nil
names = append(names, "a", "b")
fmt.Println(len(names), names)
if total > 20 {
	fmt.Println("big")
}
}
var p point
var n, m int
var err error
var names []string
