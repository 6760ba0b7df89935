// Test oracle for java_archive_test: prints what the JDK itself (java.util.jar.Manifest,
// java.util.Properties, java.util.zip) reads from each archive named on the command line and from
// the archives nested in it, one tab-separated line per fact:
//   archive <path> | manifest <path> <name> <value> | pom <path> <entry> <group> <artifact> <version>
//   | property <path> <entry> <key> <value>
// Nested paths are "<outer>!/<entry>", at most 4 levels deep. Run: java JarOracle.java FILE...
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

public class JarOracle {
  private static final String[] SUFFIXES = {
    ".jar", ".war", ".ear", ".jpi", ".hpi", ".par", ".sar", ".rar", ".nar", ".kar", ".lpkg"
  };
  private static final int MAX_NESTING = 4;
  private static PrintStream out;

  public static void main(String[] args) throws Exception {
    out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    for (String arg : args) {
      try {
        walk(arg, Files.readAllBytes(Path.of(arg)), 0);
      } catch (IOException e) {
        out.println("error\t" + escape(arg));
      }
    }
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  static boolean isArchive(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String suffix : SUFFIXES) {
      if (lower.endsWith(suffix) && lower.length() > suffix.length()) return true;
    }
    return false;
  }

  static void walk(String path, byte[] bytes, int depth) throws IOException {
    out.println("archive\t" + escape(path));
    List<String> lines = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        if (entry.isDirectory()) continue;
        String name = entry.getName();
        if (name.equalsIgnoreCase("META-INF/MANIFEST.MF")) {
          try {
            Manifest manifest = new Manifest(new ByteArrayInputStream(zip.readAllBytes()));
            for (Map.Entry<Object, Object> attribute : manifest.getMainAttributes().entrySet()) {
              out.println("manifest\t" + escape(path) + "\t" + escape(attribute.getKey().toString())
                  + "\t" + escape(attribute.getValue().toString()));
            }
          } catch (IOException e) {
            out.println("manifest-error\t" + escape(path));
          }
        } else if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
          Properties properties = new Properties();
          properties.load(new ByteArrayInputStream(zip.readAllBytes()));
          out.println("pom\t" + escape(path) + "\t" + escape(name) + "\t"
              + escape(properties.getProperty("groupId", "")) + "\t"
              + escape(properties.getProperty("artifactId", "")) + "\t"
              + escape(properties.getProperty("version", "")));
          for (String key : properties.stringPropertyNames()) {
            out.println("property\t" + escape(path) + "\t" + escape(name) + "\t" + escape(key)
                + "\t" + escape(properties.getProperty(key)));
          }
        } else if (isArchive(name) && depth + 1 <= MAX_NESTING) {
          walk(path + "!/" + name, zip.readAllBytes(), depth + 1);
        }
      }
    }
  }
}
