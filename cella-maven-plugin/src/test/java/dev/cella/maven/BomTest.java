package dev.cella.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The BOM that users (and the archetype) import pins every artifact the reactor publishes. */
class BomTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static Document read(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }

  private static String child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return c.getTextContent().strip();
      }
    }
    return null;
  }

  @Test
  void bom_pinsEveryPublishedModule_atTheReactorVersion() throws Exception {
    Document parent = read(ROOT.resolve("pom.xml"));
    String version = child(parent.getDocumentElement(), "version");
    List<String> published = new ArrayList<>();
    var modules = parent.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      String dir = modules.item(i).getTextContent().strip();
      Element project = read(ROOT.resolve(dir).resolve("pom.xml")).getDocumentElement();
      String artifactId = child(project, "artifactId");
      // Examples, benchmarks, the BOM itself and test-only modules are not for users.
      boolean internal = dir.startsWith("examples/") || artifactId.equals("cella-bench")
          || artifactId.equals("cella-bom") || artifactId.equals("cella-app-tests");
      if (!internal) {
        published.add(artifactId);
      }
    }
    Element bom = read(ROOT.resolve("cella-bom/pom.xml")).getDocumentElement();
    assertThat(child(bom, "version")).isEqualTo(version);
    List<String> pinned = new ArrayList<>();
    var dependencies = bom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element d = (Element) dependencies.item(i);
      assertThat(child(d, "groupId")).isEqualTo("dev.cella");
      assertThat(child(d, "version")).isEqualTo("${project.version}");
      pinned.add(child(d, "artifactId"));
    }
    assertThat(Files.isDirectory(ROOT.resolve("cella-bom"))).isTrue();
    assertThat(pinned).containsAll(published).doesNotHaveDuplicates();
  }
}
