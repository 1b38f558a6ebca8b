package dev.cella.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityProvidersTest {
  @Test
  void providersOfModulesNotInTheImage_areDropped_andTheRestRenumbered() {
    List<String> lines = List.of("# comment", "security.provider.1=SUN",
        "security.provider.2=SunJCE", "security.provider.3=SunJGSS",
        "security.provider.4=JdkLDAP", "security.provider.5=SunPKCS11",
        "security.provider.6=com.example.Custom", "jdk.tls.disabledAlgorithms=SSLv3");
    assertThat(SecurityProviders.trim(lines, List.of("java.base", "java.naming")))
        .containsExactly("# comment", "security.provider.1=SUN", "security.provider.2=SunJCE",
            "security.provider.3=JdkLDAP", "security.provider.4=com.example.Custom",
            "jdk.tls.disabledAlgorithms=SSLv3");
  }
}
