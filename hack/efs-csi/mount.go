package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// MountInfo is one line of /proc/self/mountinfo, reduced to what the plugin needs.
type MountInfo struct {
	MountPoint string
	Options    []string // per-mount options (ro/rw, nosuid, …)
}

func (m MountInfo) ReadOnly() bool {
	for _, o := range m.Options {
		if o == "ro" {
			return true
		}
	}
	return false
}

// mountsAt returns the mounts whose mount point is path, the last (topmost) one last.
func mountsAt(path string) ([]MountInfo, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []MountInfo
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		m, ok := parseMountInfoLine(sc.Text())
		if ok && m.MountPoint == path {
			out = append(out, m)
		}
	}
	return out, sc.Err()
}

// parseMountInfoLine reads "id parent major:minor root mountpoint options …" (see proc(5)).
func parseMountInfoLine(line string) (MountInfo, bool) {
	fields := strings.Fields(line)
	if len(fields) < 6 {
		return MountInfo{}, false
	}
	return MountInfo{MountPoint: unescapeMountInfo(fields[4]), Options: strings.Split(fields[5], ",")}, true
}

// unescapeMountInfo undoes the kernel's octal escapes (\040 for a space, \011, \012, \134).
func unescapeMountInfo(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// canonical resolves symlinks so the path compares equal to mountinfo's mount points.
func canonical(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// sameDir reports whether a and b are the same directory (device and inode), which for a bind mount
// target tells whether it shows the expected source.
func sameDir(a, b string) (bool, error) {
	var sa, sb unix.Stat_t
	if err := unix.Stat(a, &sa); err != nil {
		return false, err
	}
	if err := unix.Stat(b, &sb); err != nil {
		return false, err
	}
	return sa.Dev == sb.Dev && sa.Ino == sb.Ino, nil
}

// bindMount mounts source onto target, then makes it read-only if asked: a bind mount ignores MS_RDONLY
// on creation, so read-only takes a second, remount call.
func bindMount(source, target string, readOnly bool) error {
	if err := unix.Mount(source, target, "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("mount --bind %s %s: %w", source, target, err)
	}
	if readOnly {
		if err := unix.Mount("", target, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY, ""); err != nil {
			_ = unix.Unmount(target, 0)
			return fmt.Errorf("remount read-only %s: %w", target, err)
		}
	}
	return nil
}
