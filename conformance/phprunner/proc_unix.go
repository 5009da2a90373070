//go:build unix

package phprunner

import (
	"os/exec"
	"syscall"
)

// setProcessGroup runs cmd in a process group of its own, so that stopping
// it also stops what a wrapper program started.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killProcess(cmd) }
}

// killProcess kills cmd's process group.
func killProcess(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
