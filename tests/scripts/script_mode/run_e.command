run
-e
for i := 0; i < 3; i++ { fmt.Print(i, " ") }; fmt.Println(strconv.Itoa(7))
