package dev.cella.host.internal;

/** The version of this Cella host runtime, as evidence reports it. */
final class RuntimeVersion {
  static final String VALUE = versionOrDevelopment();

  private RuntimeVersion() {}

  private static String versionOrDevelopment() {
    String version = RuntimeVersion.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
