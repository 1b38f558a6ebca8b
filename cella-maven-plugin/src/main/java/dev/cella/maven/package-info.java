/**
 * The Cella Maven plugin (goal prefix {@code cella}): {@code bundle} packages the project's jar,
 * its runtime dependencies and the Cella enclave runtime into a signed {@code .cella} bundle and
 * attaches it to the build; {@code keygen} makes a signing key; {@code run} runs a bundle once on a
 * backend; {@code import-signature} finishes two-step signing. The classes here are the goals and
 * their configuration elements; the work is done by the public API of {@code cella-bundle} and
 * {@code cella-host}.
 */
package dev.cella.maven;
