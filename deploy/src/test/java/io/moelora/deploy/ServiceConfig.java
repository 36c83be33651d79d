package io.moelora.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service reads from its environment, taken from the service itself: the keys of its
 * {@code application.properties}, the properties of its {@code @ConfigMapping} interfaces (read by
 * reflection from its packaged application) and the variables its properties expand. An environment
 * variable configures a property when it is the property's name upper-cased with every other character
 * turned into {@code _} (SmallRye Config's rule).
 *
 * @param module     the service's module directory
 * @param httpPort   its default HTTP port ({@code quarkus.http.port})
 * @param properties every property name it knows
 * @param required   mapped properties without a default (a deployment must set them)
 * @param expanded   variables referenced as {@code ${NAME}} in its properties (MOELORA_STATE_DIR, ...)
 * @param defaults   the {@code @WithDefault} values of mapped properties
 */
record ServiceConfig(String module, int httpPort, Set<String> properties, Set<String> required, Set<String> expanded,
    java.util.Map<String, String> defaults) {

  /**
   * Variables the images' entry point ({@code deploy/docker/run-java.sh}) and the libraries read
   * themselves rather than through Quarkus configuration.
   */
  static Set<String> runtimeEnv() {
    var names = new TreeSet<String>();
    Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(Repo.read("deploy/docker/run-java.sh"));
    while (m.find()) {
      names.add(m.group(1));
    }
    // Read by DJL (cache location, libtorch flavor) and the C library (locale), not by the services.
    names.addAll(Set.of("DJL_CACHE_DIR", "PYTORCH_FLAVOR", "LANG"));
    return names;
  }

  static String envName(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
  }

  /** Does the variable {@code name} configure something this service reads? */
  boolean reads(String name) {
    return expanded.contains(name) || properties.stream().anyMatch(p -> envName(p).equals(name));
  }

  static ServiceConfig of(String module) {
    var props = new Properties();
    try (var reader = new StringReader(Repo.read(module + "/src/main/resources/application.properties"))) {
      props.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var properties = new TreeSet<String>();
    var expanded = new TreeSet<String>();
    Pattern reference = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)[:}]");
    for (String key : props.stringPropertyNames()) {
      properties.add(key.replaceFirst("^%[^.]+\\.", ""));
      Matcher m = reference.matcher(props.getProperty(key));
      while (m.find()) {
        expanded.add(m.group(1));
      }
    }
    var required = new TreeSet<String>();
    var defaults = new java.util.TreeMap<String, String>();
    for (Class<?> mapping : configMappings(Repo.quarkusApp(module))) {
      collect(mapping, prefixOf(mapping), properties, required, defaults);
    }
    required.removeAll(props.stringPropertyNames());
    Matcher port = Pattern.compile("\\$\\{PORT:(\\d+)}").matcher(props.getProperty("quarkus.http.port", ""));
    if (!port.matches()) {
      throw new IllegalStateException(module + ": quarkus.http.port is not ${PORT:<number>}");
    }
    return new ServiceConfig(module, Integer.parseInt(port.group(1)), properties, required, expanded, defaults);
  }

  // --- @ConfigMapping interfaces of the packaged application --------------------------------------

  private static final String MAPPING = "io.smallrye.config.ConfigMapping";

  /** A {@code static final String} of the packaged service, e.g. a consumer group name. */
  static String constant(String module, String className, String field) {
    try {
      return (String) appLoader(Repo.quarkusApp(module)).loadClass(className).getField(field).get(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(module + " has no " + className + "." + field, e);
    }
  }

  /** The classes of a packaged Quarkus application (its own jars and its libraries). */
  private static URLClassLoader appLoader(Path app) throws IOException {
    try (Stream<Path> libs = Files.list(app.resolve("lib/main")); Stream<Path> apps = Files.list(app.resolve("app"));
        Stream<Path> boot = Files.list(app.resolve("lib/boot"))) {
      var urls = new ArrayList<URL>();
      for (Path jar : Stream.concat(apps, Stream.concat(libs, boot)).toList()) {
        urls.add(jar.toUri().toURL());
      }
      return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
  }

  private static ArrayList<Class<?>> configMappings(Path app) {
    var mappings = new ArrayList<Class<?>>();
    try {
      var loader = appLoader(app);
      @SuppressWarnings("unchecked")
      var annotation = (Class<? extends Annotation>) loader.loadClass(MAPPING);
      try (Stream<Path> own = Files.list(app.resolve("app"))) {
        for (Path jar : own.toList()) {
          try (var file = new JarFile(jar.toFile())) {
            for (String entry : file.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList()) {
              try {
                Class<?> type = loader.loadClass(entry.replace('/', '.').replaceAll("\\.class$", ""));
                if (type.isAnnotationPresent(annotation)) {
                  mappings.add(type);
                }
              } catch (LinkageError e) {
                // A class that needs what only Quarkus' build adds: not a config mapping.
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("package the service first (" + app + ")", e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    if (mappings.isEmpty()) {
      throw new IllegalStateException("no @ConfigMapping in " + app + ": is the service packaged?");
    }
    return mappings;
  }

  private static String prefixOf(Class<?> mapping) {
    return (String) annotationValue(mapping, MAPPING, "prefix");
  }

  private static void collect(Class<?> group, String prefix, Set<String> properties, Set<String> required,
      java.util.Map<String, String> defaults) {
    for (Method method : group.getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
        continue;
      }
      Object withName = annotationValue(method, "io.smallrye.config.WithName", "value");
      String name = prefix + "." + (withName != null ? withName : kebab(method.getName()));
      Class<?> type = method.getReturnType();
      if (type.isInterface() && type.getName().startsWith("io.moelora.")) {
        collect(type, name, properties, required, defaults);
        continue;
      }
      properties.add(name);
      Object value = annotationValue(method, "io.smallrye.config.WithDefault", "value");
      if (value != null) {
        defaults.put(name, (String) value);
      }
      if (value == null && !type.getName().startsWith("java.util.Optional")) {
        required.add(name);
      }
    }
  }

  private static Object annotationValue(java.lang.reflect.AnnotatedElement element, String type, String attribute) {
    for (Annotation a : element.getAnnotations()) {
      if (a.annotationType().getName().equals(type)) {
        try {
          return a.annotationType().getMethod(attribute).invoke(a);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return null;
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
  }
}
