/**
 * Host-side (untrusted) storage for sealed file systems: a directory of objects and a file-kept
 * monotonic counter, for the {@code sim} backend, tests, and as the host half of the isolated
 * backends' storage host calls. Nothing here is trusted by the enclave; it verifies all it reads.
 */
package dev.cella.enclave.sealing.host;
