/* Writes this example's test photo, photo.jpg: 1024x683 (a 3:2 camera frame), a smooth gradient
 * with discs, deterministic (the same bytes on every run). stb only, as the function itself:
 *   cc -O1 -I/usr/include/stb generate.c -lm -o /tmp/generate && /tmp/generate photo.jpg */
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

#include <stdio.h>
#include <stdlib.h>

#define WIDTH 1024
#define HEIGHT 683

int main(int argc, char **argv) {
  const char *out = argc > 1 ? argv[1] : "photo.jpg";
  static unsigned char pixels[WIDTH * HEIGHT * 3];
  for (int y = 0; y < HEIGHT; y++) {
    for (int x = 0; x < WIDTH; x++) {
      unsigned char *p = pixels + (y * WIDTH + x) * 3;
      p[0] = (unsigned char)(255 * x / WIDTH);
      p[1] = (unsigned char)(255 * y / HEIGHT);
      p[2] = 160;
      for (int disc = 0; disc < 3; disc++) {
        int cx = 200 + disc * 300, cy = 340, r = 90 + disc * 20;
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r) p[0] = 250, p[1] = (unsigned char)(80 * disc), p[2] = 40;
      }
    }
  }
  if (!stbi_write_jpg(out, WIDTH, HEIGHT, 3, pixels, 85)) {
    fprintf(stderr, "could not write %s\n", out);
    return 1;
  }
  return 0;
}
