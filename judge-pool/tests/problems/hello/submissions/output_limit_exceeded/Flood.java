// Output limit exceeded: writes far more than the 8 MiB output limit, 1 MiB at a time.
import java.io.*;
import java.util.Arrays;

public class Flood {
    public static void main(String[] args) throws IOException {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'x');
        while (true) {
            out.write(block);
        }
    }
}
