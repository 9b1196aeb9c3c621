package main

// Go 1.19 equivalent of tests/scripts/errgroup/group_errors.csp: golang.org/x/sync/errgroup cannot be
// fetched offline, so its v0.1.0 source is pasted below and the program calls Group and
// WithContext unqualified.

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

type taskError struct{ id int }

func (e *taskError) Error() string { return fmt.Sprint("task ", e.id, " failed") }

func main() {
	// The zero Group: Wait returns nil once every function has returned.
	var g Group
	var done atomic.Int32
	for i := 0; i < 5; i++ {
		g.Go(func() error {
			done.Add(1)
			return nil
		})
	}
	fmt.Println(g.Wait(), done.Load())

	// Wait returns the first error; the others are dropped, but still waited for.
	var g2 Group
	first := make(chan bool)
	var finished atomic.Int32
	g2.Go(func() error {
		<-first
		finished.Add(1)
		return &taskError{1}
	})
	g2.Go(func() error {
		defer close(first)
		finished.Add(1)
		return &taskError{2}
	})
	g2.Go(func() error {
		finished.Add(1)
		return nil
	})
	err := g2.Wait()
	fmt.Println(err, finished.Load())
	if te, ok := err.(*taskError); ok {
		fmt.Println("task", te.id)
	}

	// WithContext: the first error cancels the group's context; the others see it.
	g3, ctx := WithContext(context.Background())
	fmt.Println(ctx)
	for i := 1; i <= 3; i++ {
		id := i
		g3.Go(func() error {
			if id == 2 {
				return &taskError{id}
			}
			<-ctx.Done()
			return ctx.Err()
		})
	}
	fmt.Println(g3.Wait(), ctx.Err())

	// Without errors the context is canceled when Wait returns.
	g4, ctx4 := WithContext(context.Background())
	g4.Go(func() error { return nil })
	fmt.Println(ctx4.Err())
	fmt.Println(g4.Wait(), ctx4.Err())

	// A canceled parent cancels the group's context.
	parent, cancel := context.WithCancel(context.Background())
	g5, ctx5 := WithContext(parent)
	g5.Go(func() error {
		<-ctx5.Done()
		return ctx5.Err()
	})
	cancel()
	fmt.Println(g5.Wait())
}

// ---- golang.org/x/sync/errgroup v0.1.0 (errgroup.go), BSD-3-Clause, Copyright 2016
// The Go Authors; pasted in because the module cannot be fetched offline.

type token struct{}

type Group struct {
	cancel func()

	wg sync.WaitGroup

	sem chan token

	errOnce sync.Once
	err     error
}

func (g *Group) done() {
	if g.sem != nil {
		<-g.sem
	}
	g.wg.Done()
}

func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

func (g *Group) Go(f func() error) {
	if g.sem != nil {
		g.sem <- token{}
	}

	g.wg.Add(1)
	go func() {
		defer g.done()

		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

func (g *Group) TryGo(f func() error) bool {
	if g.sem != nil {
		select {
		case g.sem <- token{}:
			// Note: this allows barging iff channels in general allow barging.
		default:
			return false
		}
	}

	g.wg.Add(1)
	go func() {
		defer g.done()

		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
	return true
}

func (g *Group) SetLimit(n int) {
	if n < 0 {
		g.sem = nil
		return
	}
	if len(g.sem) != 0 {
		panic(fmt.Errorf("errgroup: modify limit while %v goroutines in the group are still active", len(g.sem)))
	}
	g.sem = make(chan token, n)
}
