// Go 1.20 semantics: errors.Join and the error trees Is and As search; the Go 1.19
// equivalent carries Go 1.20's code (tests/scripts/_tools/go119/errors/join.go).
package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
)

var ErrA = errors.New("a failed")
var ErrB = errors.New("b failed")

type CodeErr struct{ Code int }

func (e *CodeErr) Error() string { return fmt.Sprintf("code %d", e.Code) }

func main() {
	j := join(ErrA, nil, &CodeErr{7})
	fmt.Println(j)
	fmt.Printf("%q\n", j.Error())
	fmt.Println(is(j, ErrA), is(j, ErrB))
	var ce *CodeErr
	fmt.Println(as(j, &ce), ce.Code)
	fmt.Println(join(nil, nil) == nil)
	w := fmt.Errorf("outer: %w", join(ErrB, os.ErrNotExist))
	fmt.Println(is(w, os.ErrNotExist), is(w, ErrA))
}

// Go 1.20's errors.Join, Is and As.
func join(errs ...error) error {
	n := 0
	for _, err := range errs {
		if err != nil {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	e := &joinError{errs: make([]error, 0, n)}
	for _, err := range errs {
		if err != nil {
			e.errs = append(e.errs, err)
		}
	}
	return e
}

type joinError struct{ errs []error }

func (e *joinError) Error() string {
	var b []byte
	for i, err := range e.errs {
		if i > 0 {
			b = append(b, '\n')
		}
		b = append(b, err.Error()...)
	}
	return string(b)
}

func (e *joinError) Unwrap() []error { return e.errs }

func is(err, target error) bool {
	for {
		if err == target {
			return true
		}
		switch x := err.(type) {
		case interface{ Unwrap() error }:
			err = x.Unwrap()
			if err == nil {
				return false
			}
		case interface{ Unwrap() []error }:
			for _, err := range x.Unwrap() {
				if is(err, target) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
}

func as(err error, target any) bool {
	val := reflect.ValueOf(target)
	targetType := val.Type().Elem()
	for {
		if err == nil {
			return false
		}
		if reflect.TypeOf(err).AssignableTo(targetType) {
			val.Elem().Set(reflect.ValueOf(err))
			return true
		}
		switch x := err.(type) {
		case interface{ Unwrap() error }:
			err = x.Unwrap()
		case interface{ Unwrap() []error }:
			for _, err := range x.Unwrap() {
				if as(err, target) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
}
