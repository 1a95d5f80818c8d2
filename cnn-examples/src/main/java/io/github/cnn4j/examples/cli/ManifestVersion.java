package io.github.cnn4j.examples.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code cnn4j --version}: the version in the jar's manifest (Implementation-Version), written by the build. */
final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Cnn4jCli.class.getPackage().getImplementationVersion();
        return new String[] {"cnn4j " + (v == null ? "(version unknown: not run from a jar)" : v)};
    }
}
