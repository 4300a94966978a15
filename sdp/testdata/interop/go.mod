module sdpinterop

go 1.26

require github.com/plainrtc/plainrtc v0.0.0

replace github.com/plainrtc/plainrtc => ../../..
