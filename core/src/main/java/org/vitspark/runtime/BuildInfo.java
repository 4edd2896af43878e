package org.vitspark.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts Maven recorded at build time (vitspark-build.properties). */
public final class BuildInfo {

    private BuildInfo() {
    }

    /** Whether this build carries the CUDA backend (-Pcuda). */
    public static boolean cuda() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/vitspark-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read vitspark-build.properties from the application jar", e);
        }
        return Boolean.parseBoolean(p.getProperty("cuda", "false"));
    }
}
