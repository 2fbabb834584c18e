import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build-time step of the self-contained release (make-release.sh; run as a source file by a
 * JDK 24+, whose java.lang.classfile API it uses). Rewrites the classes of a jar that are older
 * than Java 6's class file (picocli ships Java 5's, version 49) as version 52, with the stack
 * maps the JVM's type-checking verifier needs, computed by the ClassFile API: the JDK's AOT
 * cache keeps no class of the old format linked ("Old class has been linked"), so picocli
 * and every lambda of a picocli interface were loaded and verified again at every start.
 * The bytecode is otherwise unchanged. Every rewritten class is then loaded and initialized
 * from the new jar, so that a class the verifier refuses fails the build, not a user's run.
 *
 * usage: java ClassVersionUpgrade.java JAR PACKAGE_PREFIX...
 */
public final class ClassVersionUpgrade {
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        List<String> prefixes = List.of(args).subList(1, args.length);
        Path out = jar.resolveSibling(jar.getFileName() + ".upgraded");
        List<String> upgraded = new ArrayList<>();
        try (URLClassLoader original = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(original))));
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                    ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    byte[] bytes = in.readAllBytes();
                    String name = e.getName();
                    if (name.endsWith(".class") && prefixes.stream().anyMatch(name::startsWith)) {
                        ClassModel model = classFile.parse(bytes);
                        if (model.majorVersion() < 50) {
                            // every method body is emitted again, so that its stack maps are made
                            bytes = classFile.transformClass(model,
                                    ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                            .andThen(ClassTransform.endHandler(b -> b.withVersion(52, 0))));
                            upgraded.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                        }
                    }
                    ZipEntry copy = new ZipEntry(name);
                    copy.setTime(e.getTime());
                    zip.putNextEntry(copy);
                    zip.write(bytes);
                    zip.closeEntry();
                }
            }
        }
        try (URLClassLoader check = new URLClassLoader(new URL[] {out.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String name : upgraded) {
                Class.forName(name, true, check);
            }
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        System.err.println("release: " + upgraded.size() + " classes of " + prefixes
                + " rewritten as class file version 52, each loaded and verified");
    }
}
