from suaraberita.cli import main

main()
