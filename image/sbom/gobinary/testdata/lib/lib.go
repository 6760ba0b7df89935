package lib

func Hello() string { return "hello" }
