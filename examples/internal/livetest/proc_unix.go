//go:build unix

package livetest

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the process in its own group, so that stopping it
// also stops what it forks (postfix's master and its children).
func setProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

// stopGroup sends SIGTERM (or SIGKILL) to the process's group, and
// SIGCONT so that a group a test stopped with SIGSTOP acts on it.
func stopGroup(cmd *exec.Cmd, kill bool) {
	if cmd.Process == nil {
		return
	}
	pgid := -cmd.Process.Pid
	if kill {
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		return
	}
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	_ = syscall.Kill(pgid, syscall.SIGCONT)
}

// Pause stops the process group of a started cmd (SIGSTOP): the server
// keeps its sockets open and answers nothing, the kernel still accepting
// connections into the backlog. It returns the function that continues it.
func Pause(cmd *exec.Cmd) (resume func()) {
	pgid := -cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGSTOP)
	return func() { _ = syscall.Kill(pgid, syscall.SIGCONT) }
}
