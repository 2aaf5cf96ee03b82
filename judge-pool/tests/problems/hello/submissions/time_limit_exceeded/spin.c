#include <stdio.h>

int main(void) {
    volatile unsigned long counter = 0;
    while (1) {
        counter++;
    }
    printf("Hello World!\n");
    return 0;
}
