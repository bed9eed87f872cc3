package dev.baton.problem;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * The REST routes the service serves (method and path template), read from the resource classes'
 * own {@code @Path} and HTTP-method annotations, so the list cannot drift from the code. It gives a
 * 405 its {@code Allow} header (RESTEasy Reactive sends none) and lets a test hold the OpenAPI
 * document to every route. Quarkus REST makes every resource class a bean, so the bean manager
 * lists them all.
 */
@Singleton
public class Routes {

    /** One operation: an HTTP method on a path template such as {@code /api/v1/chats/{id}}. */
    public record Route(String method, String template) {
        Pattern pattern() {
            return Pattern.compile(template.replaceAll("\\{[^/}]+}", "[^/]+").replace(".", "\\."));
        }
    }

    private final List<Route> routes;
    private final List<Pattern> patterns;

    public Routes(BeanManager beans) {
        List<Route> found = new ArrayList<>();
        beans.getBeans(Object.class, Any.Literal.INSTANCE).stream().map(Bean::getBeanClass).distinct()
                .filter(type -> type.isAnnotationPresent(Path.class))
                .forEach(type -> {
                    for (Method method : type.getDeclaredMethods()) {
                        String verb = httpMethod(method);
                        if (verb != null) {
                            found.add(new Route(verb, join(path(type), path(method))));
                        }
                    }
                });
        found.sort(Comparator.comparing(Route::template).thenComparing(Route::method));
        this.routes = List.copyOf(found);
        this.patterns = found.stream().map(Route::pattern).toList();
    }

    public List<Route> all() {
        return routes;
    }

    /** The methods some route accepts at this concrete request path (empty when none matches it). */
    public Set<String> allowed(String path) {
        String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Set<String> methods = new TreeSet<>();
        for (int i = 0; i < routes.size(); i++) {
            if (patterns.get(i).matcher(normalized).matches()) {
                methods.add(routes.get(i).method());
            }
        }
        return methods;
    }

    private static String httpMethod(Method method) {
        for (var annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String path(AnnotatedElement element) {
        Path path = element.getAnnotation(Path.class);
        return path == null ? "" : path.value();
    }

    private static String join(String base, String sub) {
        String joined = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
