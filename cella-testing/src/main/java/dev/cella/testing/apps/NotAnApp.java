package dev.cella.testing.apps;

/** A class that does not implement TrustedApplication, for the suite's refusal tests. */
public final class NotAnApp {}
