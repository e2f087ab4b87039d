package main

import "testing"

func TestParseVolumeHandle(t *testing.T) {
	cases := []struct {
		handle string
		want   Volume
		dir    string // HostDir under /data
	}{
		{"fs-123::fsap-456", Volume{"fs-123", "/", "fsap-456"}, "/data/fs-123/fsap-456"},
		{"fs-0123456789abcdef0::fsap-0123456789abcdef0", Volume{"fs-0123456789abcdef0", "/", "fsap-0123456789abcdef0"},
			"/data/fs-0123456789abcdef0/fsap-0123456789abcdef0"},
		{"fs-123", Volume{"fs-123", "/", ""}, "/data/fs-123"},
		{"fs-123:", Volume{"fs-123", "/", ""}, "/data/fs-123"},
		{"fs-123::", Volume{"fs-123", "/", ""}, "/data/fs-123"},
		{"fs-123:/uploads", Volume{"fs-123", "/uploads", ""}, "/data/fs-123/uploads"},
		{"fs-123:uploads/a/", Volume{"fs-123", "/uploads/a", ""}, "/data/fs-123/uploads/a"},
		{"fs-123:/a/../../..", Volume{"fs-123", "/", ""}, "/data/fs-123"},
		{"fs-123:/../etc", Volume{"fs-123", "/etc", ""}, "/data/fs-123/etc"},
		{"fs-123:/sub:fsap-456", Volume{"fs-123", "/sub", "fsap-456"}, "/data/fs-123/fsap-456/sub"},
		{"efs:fs-123::fsap-456", Volume{"fs-123", "/", "fsap-456"}, "/data/fs-123/fsap-456"},
		{"efs:fs-123", Volume{"fs-123", "/", ""}, "/data/fs-123"},
	}
	for _, c := range cases {
		got, err := ParseVolumeHandle(c.handle)
		if err != nil {
			t.Errorf("%q: %v", c.handle, err)
			continue
		}
		if got != c.want {
			t.Errorf("%q: got %+v, want %+v", c.handle, got, c.want)
		}
		if dir := got.HostDir("/data"); dir != c.dir {
			t.Errorf("%q: host dir %s, want %s", c.handle, dir, c.dir)
		}
	}
}

func TestParseVolumeHandleRejects(t *testing.T) {
	for _, h := range []string{
		"",
		"efs",
		"123",
		"fs-",
		"fs-12/3",
		"fs-..",
		"../fs-123",
		"fs-123::fsap-",
		"fs-123::ap-456",
		"fs-123::fsap-4/56",
		"fs-123::fsap-456:extra",
		"s3files:fs-123",
		"fsap-456",
	} {
		if v, err := ParseVolumeHandle(h); err == nil {
			t.Errorf("%q: accepted as %+v", h, v)
		}
	}
}

func TestAccessPointDir(t *testing.T) {
	v, _ := ParseVolumeHandle("fs-1:/x:fsap-2")
	if got := v.AccessPointDir("/d"); got != "/d/fs-1/fsap-2" {
		t.Errorf("got %s", got)
	}
	v, _ = ParseVolumeHandle("fs-1:/x")
	if got := v.AccessPointDir("/d"); got != "" {
		t.Errorf("got %q without an access point", got)
	}
}
