// Leaks on purpose, for the test sanitizer_child_report_fails_test: a sanitizer report of a
// child process must fail the test that started it, whatever the child's exit code.
#include <cstdlib>

// volatile, so that the compiler cannot drop the allocation as unused.
void *volatile leaked = nullptr;

int main()
{
    // Overwritten, the block is reachable from nowhere, and LeakSanitizer reports it at exit.
    leaked = std::malloc(64);
    leaked = nullptr;
    return 0;
}
