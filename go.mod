module github.com/plainrtc/plainrtc

go 1.26
