package io.moelora.cli;

import picocli.CommandLine;

/** The version from the jar manifest (the build's project version). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = MoeloraCli.class.getPackage().getImplementationVersion();
        return new String[] {"moelora " + (v == null ? "development build" : v)};
    }
}
