"""Speech: Vietnamese text made speakable, and the engines that voice it."""
