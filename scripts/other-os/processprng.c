/* A stand-in bcryptprimitives.dll for Wine 8, which lacks ProcessPrng.
 *
 * Rust's standard library (1.78+) takes its random numbers from
 * bcryptprimitives!ProcessPrng on Windows; every Rust .exe dies at start under
 * a Wine without it. This DLL exports ProcessPrng and fills the buffer with
 * advapi32's RtlGenRandom (SystemFunction036), which Wine does implement.
 * It is copied only into the Wine prefix that scripts/check-other-os makes;
 * nothing of it ships. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
