/**
 * A JUnit 5 extension for testing enclaves: {@link dev.cella.testing.junit.EnclaveTest} runs a test
 * class once per backend against a loaded bundle and injects the enclave or its typed services;
 * {@link dev.cella.testing.junit.MockIdentity} loads the bundle under another SVN, product id or
 * signer for upgrade and sealing tests.
 */
package dev.cella.testing.junit;
