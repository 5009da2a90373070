package main

import (
	"fmt"
	"io"
	"sync"
)

// A progress is the line "phpconform VERB: N/M cases" on a terminal,
// redrawn in place as each case ends. Lines logged meanwhile go through its
// Write, which prints them above the progress line rather than into it.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	done  int
	total int
	shown bool
}

// newProgress returns the progress of total cases of verb, shown on w, or
// nil when w is not a terminal: then nothing but the contract's output is
// written.
func newProgress(w io.Writer, verb string, total int) *progress {
	if !isTerminal(w) {
		return nil
	}
	p := &progress{w: w, label: "phpconform " + verb, total: total}
	p.mu.Lock()
	p.draw()
	p.mu.Unlock()
	return p
}

// eraseLine returns the cursor to the start of the line and clears it.
const eraseLine = "\r\x1b[K"

// draw writes the progress line; p.mu is held.
func (p *progress) draw() {
	fmt.Fprintf(p.w, "%s%s: %d/%d cases", eraseLine, p.label, p.done, p.total)
	p.shown = true
}

// erase clears the progress line; p.mu is held.
func (p *progress) erase() {
	if p.shown {
		io.WriteString(p.w, eraseLine)
		p.shown = false
	}
}

// caseDone counts one case as ended and redraws the line.
func (p *progress) caseDone() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.draw()
}

// Write prints b (whole lines) in place of the progress line, then draws
// the line again below it.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	n, err := p.w.Write(b)
	p.draw()
	return n, err
}

// close clears the progress line for good.
func (p *progress) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
}
