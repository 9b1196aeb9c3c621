package main

// Go 1.19 equivalent of tests/scripts/errgroup/limit.csp: golang.org/x/sync/errgroup cannot be
// fetched offline, so its v0.1.0 source is pasted below and the program calls Group and
// WithContext unqualified.

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

func main() {
	// SetLimit bounds the active goroutines; Go blocks until one finishes.
	var g Group
	g.SetLimit(2)
	var mu sync.Mutex
	active, peak, ran := 0, 0, 0
	for i := 0; i < 10; i++ {
		g.Go(func() error {
			mu.Lock()
			active++
			if active > peak {
				peak = active
			}
			mu.Unlock()
			runtime.Gosched()
			mu.Lock()
			active--
			ran++
			mu.Unlock()
			return nil
		})
	}
	fmt.Println(g.Wait(), peak <= 2, ran)

	// TryGo starts a goroutine only below the limit.
	var g2 Group
	g2.SetLimit(1)
	release := make(chan bool)
	fmt.Println(g2.TryGo(func() error {
		<-release
		return nil
	}))
	fmt.Println(g2.TryGo(func() error { return nil }))

	// Changing the limit while goroutines are active panics.
	func() {
		defer func() { fmt.Println("recovered:", recover()) }()
		g2.SetLimit(5)
	}()
	close(release)
	fmt.Println(g2.Wait())
	fmt.Println(g2.TryGo(func() error { return nil }), g2.Wait())

	// A negative limit removes it; TryGo then always starts the goroutine.
	g2.SetLimit(-1)
	started := 0
	block := make(chan bool)
	for i := 0; i < 4; i++ {
		if g2.TryGo(func() error {
			<-block
			return nil
		}) {
			started++
		}
	}
	close(block)
	fmt.Println(started, g2.Wait())

	// A zero limit lets nothing start.
	var g3 Group
	g3.SetLimit(0)
	fmt.Println(g3.TryGo(func() error { return nil }), g3.Wait())
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
