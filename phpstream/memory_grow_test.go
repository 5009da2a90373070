package phpstream

import "testing"

// TestMemoryTruncateHuge checks that ftruncate cannot grow a memory or
// temp stream past PHP's default memory_limit: found by FuzzCall, where
// ftruncate(php://memory, 478 GB) made the Go runtime die of memory
// exhaustion. Growing within the limit and shrinking still work.
func TestMemoryTruncateHuge(t *testing.T) {
	tmp, err := newTempStream("php://temp", "w+", 2<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Stream{newMemoryStream("w+"), tmp} {
		if err := s.Truncate(1 << 40); err == nil {
			t.Fatalf("%s: Truncate(1 TiB) succeeded", s.origin.uri)
		}
		if err := s.Truncate(memoryGrowMax + 1); err == nil {
			t.Fatalf("%s: Truncate past the limit succeeded", s.origin.uri)
		}
		if err := s.Truncate(1 << 20); err != nil {
			t.Fatalf("%s: Truncate(1 MiB): %v", s.origin.uri, err)
		}
		if err := s.Truncate(10); err != nil {
			t.Fatalf("%s: Truncate(10): %v", s.origin.uri, err)
		}
		s.Close()
	}
}
