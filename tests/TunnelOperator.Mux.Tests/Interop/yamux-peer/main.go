// Test peer for TunnelOperator.Mux interop tests; not part of the product.
//
// It runs the real hashicorp/yamux (Debian: golang-github-hashicorp-yamux-dev) on a loopback
// TCP port so the C# tests can check our wire format, flow control and GoAway against an
// implementation nobody here wrote.
//
//	server: listen on 127.0.0.1:0, print "LISTENING <port>", accept one connection, echo every
//	        stream until EOF then close it; with -goaway-after N, send GoAway after accepting
//	        N streams (before echoing the N-th).
//	client: dial -addr, open -streams streams at once, write -size bytes on each while
//	        reading the echo, verify it, close; with -goaway-probe, then open one more stream,
//	        send "GOAWAY\n", read to EOF and expect the next open to fail with ErrRemoteGoAway.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/hashicorp/yamux"
)

func main() {
	mode := flag.String("mode", "", "server or client")
	addr := flag.String("addr", "", "server address for the client mode")
	streams := flag.Int("streams", 1, "streams the client opens at once")
	size := flag.Int("size", 1<<20, "bytes the client writes on each stream")
	chunk := flag.Int("chunk", 1<<20, "bytes per Write call of the client")
	window := flag.Uint("window", 256*1024, "MaxStreamWindowSize")
	goAwayAfter := flag.Int("goaway-after", 0, "server: send GoAway after accepting this many streams")
	goAwayProbe := flag.Bool("goaway-probe", false, "client: ask the peer for GoAway and check it")
	flag.Parse()

	config := yamux.DefaultConfig()
	config.MaxStreamWindowSize = uint32(*window)
	config.LogOutput = os.Stderr
	config.KeepAliveInterval = 5 * time.Second

	var err error
	switch *mode {
	case "server":
		err = serve(config, *goAwayAfter)
	case "client":
		err = client(config, *addr, *streams, *size, *chunk, *goAwayProbe)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		fmt.Println("FAIL", err)
		os.Exit(1)
	}
}

func serve(config *yamux.Config, goAwayAfter int) error {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("LISTENING %d\n", listener.Addr().(*net.TCPAddr).Port)
	conn, err := listener.Accept()
	if err != nil {
		return err
	}
	listener.Close()
	session, err := yamux.Server(conn, config)
	if err != nil {
		return err
	}
	accepted := 0
	var echoes sync.WaitGroup
	for {
		stream, err := session.AcceptStream()
		if err != nil {
			break
		}
		accepted++
		if accepted == goAwayAfter {
			if err := session.GoAway(); err != nil {
				return err
			}
			fmt.Println("GOAWAY SENT")
		}
		echoes.Add(1)
		go func() {
			defer echoes.Done()
			io.Copy(stream, stream)
			stream.Close()
		}()
	}
	echoes.Wait()
	fmt.Println("SERVER DONE", accepted)
	return nil
}

func client(config *yamux.Config, addr string, streams, size, chunk int, goAwayProbe bool) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	session, err := yamux.Client(conn, config)
	if err != nil {
		return err
	}
	defer session.Close()

	errs := make(chan error, streams)
	for i := 0; i < streams; i++ {
		go func(i int) { errs <- roundTrip(session, i, size, chunk) }(i)
	}
	for i := 0; i < streams; i++ {
		if err := <-errs; err != nil {
			return err
		}
	}
	fmt.Println("STREAMS OK", streams)

	if goAwayProbe {
		stream, err := session.OpenStream()
		if err != nil {
			return err
		}
		if _, err := stream.Write([]byte("GOAWAY\n")); err != nil {
			return err
		}
		// Frames are handled in order, so the GoAway the peer sent before its FIN has
		// been seen by the time this read returns EOF.
		if _, err := io.Copy(io.Discard, stream); err != nil {
			return err
		}
		stream.Close()
		if _, err := session.OpenStream(); !errors.Is(err, yamux.ErrRemoteGoAway) {
			return fmt.Errorf("open after GoAway: got %v, want ErrRemoteGoAway", err)
		}
		fmt.Println("GOAWAY OK")
	}
	return nil
}

// roundTrip writes a payload unique to the stream while reading the echo (this yamux's Read
// returns EOF once the stream is half-closed locally, so it closes only after the echo).
func roundTrip(session *yamux.Session, index, size, chunk int) error {
	stream, err := session.OpenStream()
	if err != nil {
		return err
	}
	defer stream.Close()
	payload := pattern(index, size)
	written := make(chan error, 1)
	go func() {
		for offset := 0; offset < len(payload); offset += chunk {
			end := offset + chunk
			if end > len(payload) {
				end = len(payload)
			}
			if _, err := stream.Write(payload[offset:end]); err != nil {
				written <- err
				return
			}
		}
		written <- nil
	}()
	echo := make([]byte, size)
	if _, err := io.ReadFull(stream, echo); err != nil {
		return fmt.Errorf("stream %d: reading the echo: %w", stream.StreamID(), err)
	}
	if err := <-written; err != nil {
		return fmt.Errorf("stream %d: writing: %w", stream.StreamID(), err)
	}
	if !bytes.Equal(echo, payload) {
		return fmt.Errorf("stream %d: the echo differs from what was sent", stream.StreamID())
	}
	return nil
}

// pattern must match InteropTests.Pattern in C#.
func pattern(index, size int) []byte {
	data := make([]byte, size)
	state := uint32(index)*2654435761 + 1
	for i := range data {
		state ^= state << 13
		state ^= state >> 17
		state ^= state << 5
		data[i] = byte(state)
	}
	return data
}
