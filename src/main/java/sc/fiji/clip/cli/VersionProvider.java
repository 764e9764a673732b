package sc.fiji.clip.cli;

import picocli.CommandLine.IVersionProvider;

/** The plugin's version from its jar manifest ("development" when run from classes). */
final class VersionProvider implements IVersionProvider {

	static String version() {
		String v = FijiClipCli.class.getPackage().getImplementationVersion();
		return v != null ? v : "development";
	}

	@Override
	public String[] getVersion() {
		return new String[] { "fiji-clip " + version() };
	}
}
