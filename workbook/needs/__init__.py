"""needs"""
