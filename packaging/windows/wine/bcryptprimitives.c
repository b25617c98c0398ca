/*
 * A test-only stand-in for Windows' bcryptprimitives.dll, for running the Windows build under
 * Wine 8 (Debian 12). NEVER SHIPPED: scripts/windows.sh builds it into the test WINEPREFIX
 * (target/wine) only; no installer and no package takes it.
 *
 * Why: Rust's standard library (1.78 and later) draws its random numbers (HashMap keys, and
 * getrandom's) with ProcessPrng from bcryptprimitives.dll, which every supported Windows has
 * (Windows 10 and later) but Wine gained only in 9.x. Under Wine 8 a Rust .exe does not start
 * at all. This DLL exports ProcessPrng and fills the buffer with RtlGenRandom (advapi32's
 * SystemFunction036), which Wine has, so the same .exe runs unchanged.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    /* RtlGenRandom takes a ULONG: fill a larger buffer in pieces. */
    while (length > 0) {
        ULONG piece = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, piece))
            return FALSE;
        data += piece;
        length -= piece;
    }
    return TRUE;
}
